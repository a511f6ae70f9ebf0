"""Programme health: rules, the resource estimate, SMART hints and the check report."""
