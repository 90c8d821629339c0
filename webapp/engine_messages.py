"""The engine's refusals in the reader's language, for the API and the pages alike.

The engine words its errors in English for logs; their class (the API's ``code``) says which refusal it is, and an
administrator's refused action on an instance also says which rule refused it (:class:`engine.instance_control.Refused`).
"""
from __future__ import annotations

from flask_babel import gettext as _

from engine.errors import (
    ConcurrentUpdate,
    DeploymentError,
    EngineError,
    InstanceLocked,
    NotAllowed,
    NotFound,
    StateTooLarge,
    TaskNotReady,
)
from engine.instance_control import ActionRefused, Refused


def engine_message(err: EngineError) -> str:
    """Why the engine refused, as a phrase to follow "… could not be done:" or to stand alone in an API error."""
    if isinstance(err, ActionRefused):
        return _refused_action(err.why)
    messages: dict[type[EngineError], str] = {
        TaskNotReady: _("this task is no longer open: it was completed, cancelled or moved on"),
        NotAllowed: _("you may not do this task"),
        ConcurrentUpdate: _("someone else changed it at the same moment; nothing was saved, please try again"),
        InstanceLocked: _("the process is being moved on elsewhere just now; please try again"),
        StateTooLarge: _("the process would keep more data than it may; nothing was saved, and a process owner "
                         "should look at its diagram"),
        NotFound: _("there is no such process or process instance"),
        DeploymentError: _("the process diagram is not valid"),
    }
    return messages.get(type(err), _("the process could not go on; nothing was saved"))


def _refused_action(why: Refused) -> str:
    return {Refused.NO_REASON: _("a reason is required"),
            Refused.NOT_SUSPENDABLE: _("only a running instance or one in error can be suspended"),
            Refused.NOT_SUSPENDED: _("only a suspended instance can be resumed"),
            Refused.ENDED: _("the instance has already ended"),
            Refused.SUSPENDED: _("resume the instance before running a task again"),
            Refused.NOT_IN_ERROR: _("only an instance in error can be run again"),
            Refused.STEP_IN_ERROR: _("a step is in error: run that step again instead")}[why]
