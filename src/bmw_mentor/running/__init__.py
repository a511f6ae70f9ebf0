"""Running the programme: check-ins per pair, who is overdue, evaluation questionnaires and the report."""
