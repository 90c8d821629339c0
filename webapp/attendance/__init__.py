"""Attendance pages: check-in points, shifts and rosters, a person's enrolment and calendar, who is on post,
on-post rates and the monthly sheet, the kiosk page and the phone check-in page."""
