"""Face-recognition attendance of service staff: enrolment, check-in points, check-ins, shifts, rosters, figures."""
