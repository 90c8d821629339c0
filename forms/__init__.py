"""Form definitions (one YAML file per user task or intake form) and the generic WTForms builder.

BPMN user tasks name a form by key (``spiffworkflow:property name="formKey"``); the key is the
file name under ``definitions/``. A definition with an unknown field type fails at load time."""
