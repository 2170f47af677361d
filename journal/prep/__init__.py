"""Consultation prep: checklists of questions for an appointment, the visit-prep sheet, share
links for the clinician and the calendar file. The tables are in journal/models.py."""
