"""The service standards library (服务标准): what each service promises, numbered and versioned."""
