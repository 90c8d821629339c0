"""Faces for staff attendance: reading a photo safely, one 128-d encoding per face, the 1:N match among a school's
enrolled staff, and the words of every refusal. Nothing here knows about shifts or check-ins."""
