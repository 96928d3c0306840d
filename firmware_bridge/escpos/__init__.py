"""ESC/POS thermal printers: command bytes, status decoding, job encoding and a paced serial driver."""
