"""Work plans (计划监管): recurring duties, one process instance per occurrence."""
