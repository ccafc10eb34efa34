"""The public data platform: the resource catalog (数据资源目录) and, on it, ingestion, the data
API, sharing, open data and quality."""
