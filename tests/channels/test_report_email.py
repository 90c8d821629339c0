"""A subscriber's report e-mail reaches the loopback SMTP server with the PDF attached; the bell has it too."""
from __future__ import annotations

from sqlalchemy import select

from engine.wakeups import send_pending
from workflows.notifications.models import Notification
from workflows.people.models import User
from workflows.reports import service


def test_the_subscriber_gets_the_report_pdf_by_email(mail_rt, smtp_server, clock, tmp_path):
    people = mail_rt.people()
    with mail_rt.session() as session:
        user = session.get(User, people.supervisor_id)
        user.email, user.locale = "leader@school.test", "en"
        service.set_subscription(session, user_id=user.id, school_id=people.school_id, unit_id=None, on=True,
                                 actor="leader")
        report_id = service.request(session, school_id=people.school_id, unit_id=None, period="month",
                                    day=clock.now.date(), locale="zh_CN", requested_by_id=user.id, actor="leader").id
    host = mail_rt.host
    assert service.generate(host.session_factory, host.dispatcher, report_id, mail_rt.runtime.report_making) == "done"
    with mail_rt.session() as session:
        [note] = session.scalars(select(Notification).where(Notification.user_id == people.supervisor_id))
        assert note.kind == "report.ready" and note.payload["report_id"] == report_id

    assert send_pending(host) == 1
    [mail] = smtp_server.messages
    assert mail["To"].addresses[0].addr_spec == "leader@school.test"
    assert mail["Subject"].startswith("[Houqin Campus Services] Service analysis report ready: Test school")
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_filename().endswith(".pdf")
    assert pdf.get_content().startswith(b"%PDF")
