"""Widgets of the window. They show things and emit signals; the session does the work."""
