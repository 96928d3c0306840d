"""The console store's revisions, 0001 on; 0001-0004 are the numbered SQLite migrations of earlier releases."""
