"""The bureau's report table as a spreadsheet file: XLSX (openpyxl) for Excel and WPS, or CSV."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from kiosk.fleet.console import report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def to_xlsx(table: report.Table) -> bytes:
    """One sheet: the title, the header in bold, the rows (the last is the total, in bold); numbers stay numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "统计"
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(table.header))
    for row in table.rows:
        sheet.append(list(row))
    for cell in (*sheet[2], *sheet[sheet.max_row]):
        cell.font = Font(bold=True)
    for index, name in enumerate(table.header, start=1):
        width = max(len(str(name)), *(len(str(row[index - 1])) for row in table.rows)) * 2 + 2
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = min(width, 40)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(table: report.Table) -> bytes:
    return report.to_csv(table).encode("utf-8")
