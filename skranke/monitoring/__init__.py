"""What Skranke tells its operators while it runs: figures for Prometheus at
/metrics (metrics.py, views.py, middleware.py) and, with LOG_FORMAT=json,
one JSON object per log line (json_logs.py). See docs/monitoring.md."""
