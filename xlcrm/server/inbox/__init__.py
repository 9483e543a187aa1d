"""The inbox app: submissions, report jobs and the staff/manager profiles."""
