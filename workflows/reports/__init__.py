"""Monthly and quarterly service-analysis reports (PDF with charts, Excel with the raw tables) per school and per
service unit: generated on demand or by the scheduled job, stored under the data dir, sent to subscribers."""
