"""Form definitions (one YAML file per user task or intake form) and the generic WTForms builder.

BPMN user tasks name a form by key (``spiffworkflow:property name="formKey"``); the key is the file name under
``definitions/``. A definition has a ``title``, ``store_as`` (the task-data key the values land under) and
``fields``; labels, help and choice labels are ``{zh_CN: …, en: …}``.

Field types (``type``):

- ``text``, ``textarea`` (``min_length``, ``max_length``, ``pattern`` matched against the whole value),
  ``number`` (``min``, ``max``), ``date``, ``datetime``, ``stars`` (1–5), ``checkbox`` (required: must be ticked);
- ``select``, ``radio``, ``checkboxes`` (``max_choices``): static ``choices`` or ``choices_from`` a data source;
- ``user``, ``org``: a person or an org unit from a data source (``workers``, ``teams``, ``org_units``,
  ``users_of_role:<role>``); the value is the id;
- ``person``: a searchable person picker over a source that can be searched (``staff``; ``everyone`` includes
  requesters and students); the value is the id; without script the page shows a plain select;
- ``location``: campus → building → room (the ``campuses`` and ``buildings`` sources); the value is
  ``{campus_id, building_id, room}``;
- ``photo`` (images, re-encoded by the domain; ``max_files`` default 6, ``max_size_mb`` default 8, ``purpose``),
  ``file`` (``accept``: MIME types, checked against the content, never the declared type);
- ``display``: a read-only value of the task's data (``source``, dotted for nested keys), and what it says where
  there is none (``when_empty``, else a dash);
- ``instructions``: markdown (``text``, else the label), sanitised to a small safe HTML subset.

Every field may be ``required`` or ``required_if: {field: <name>, in: [values…]}``, and may take its shown value
from the task's data (``default_from: <key>``, dotted for nested keys). A ``select``, ``user`` or ``org`` field may
``depends_on`` another choice field: only options whose parents (the source's third item) include that field's
value are offered and accepted. An unknown field type, option,
data source or MIME type, a broken pattern or a ``required_if`` naming a missing field fails at load time."""
