"""科技创新券 (vouchers)."""
