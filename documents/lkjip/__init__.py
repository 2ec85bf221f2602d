"""The LKjIP as PDF, Word document and workbook, from one set of figures (domain/lkjip.py)."""
