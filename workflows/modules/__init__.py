"""The process-module contract: what every business process (repair, work plan, delegated task, …) registers
so the generic inbox, task page, timeline and API can show it without knowing it."""
