"""The labels of a share: 存量 to the origin, 增量 split, a plain share, or what the 迁入地 keeps."""

PARTS = ("stock", "increment", "share", "host")
STOCK, INCREMENT, SHARE, HOST = range(4)
