"""The campus-logistics domain: people and org chart, catalogue, work orders, ratings and the
service-task handlers and script helpers the diagrams call. Registered with the engine at start-up
by :mod:`workflows.bootstrap`; the engine never imports this package."""
