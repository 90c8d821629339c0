"""Domain-free BPM host on SpiffWorkflow.

Deployments, instances, the one *advance* routine, timers and wake-ups, the human-task
projection, the restricted script environment, the audit log and the outbox live here.
Nothing in this package knows about repairs, schools' org charts or forms: the domain
registers its helpers, service-task handlers and validators through :mod:`engine.registry`.
"""
