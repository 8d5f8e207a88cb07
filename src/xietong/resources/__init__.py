"""仪器与服务共享 (resources)."""
