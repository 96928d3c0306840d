"""The operators' web console (`kiosk fleet web`): Starlette pages rendered with Jinja2, on the console's store."""
