"""The plans: plans.yaml schema, the view model, one builder per document, rendering and export."""
