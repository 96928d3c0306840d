"""Software for self-service public legal service terminals (公共法律服务智能终端)."""

__version__ = "0.1.0"
