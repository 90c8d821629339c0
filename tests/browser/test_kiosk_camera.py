"""The kiosk page in Chromium with a fake camera showing a real face: the tablet takes its token from the address,
shows the camera, checks the enrolled person in when they tap the button, refuses the very same frame sent again,
and refuses a revoked token. Read in Chinese, on a tablet's screen."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS
from PIL import Image
from prepared import attended_staff

from tests.faces import pictures

pytestmark = pytest.mark.browser


def y4m_of(image: Image.Image, path: Path, frames: int = 10) -> Path:
    """A few frames of ``image`` as a Y4M video (4:2:0), which Chromium's fake camera plays in a loop."""
    width, height = image.size
    y, cb, cr = (np.asarray(plane) for plane in image.convert("YCbCr").split())
    frame = b"FRAME\n" + y.tobytes() + cb[::2, ::2].tobytes() + cr[::2, ::2].tobytes()
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F5:1 Ip A1:1 C420jpeg\n".encode() + frame * frames)
    return path


def revoke(data_dir: Path, point_id: int) -> None:
    import webapp
    import webapp.config
    from engine.db import unit_of_work
    from workflows.attendance.models import CheckinPoint

    app = webapp.create_app(settings=webapp.config.Settings.from_env({"HOUQIN_DATA_DIR": str(data_dir)}))
    runtime = app.extensions["houqin"]
    try:
        with unit_of_work(runtime.host.session_factory) as session:
            session.get(CheckinPoint, point_id).active = False
    finally:
        runtime.db_engine.dispose()


def test_the_kiosk_checks_in_the_face_its_camera_sees(browser, live_server, artifacts, tmp_path):
    from playwright.sync_api import expect

    prepared = attended_staff(live_server.data_dir)
    token, point_id = prepared["token"], prepared["kiosk_id"]
    frame = Image.open(__import__("io").BytesIO(pictures.kiosk_frame("obama2"))).convert("RGB")
    camera = y4m_of(frame, tmp_path / "face.y4m")
    assert CHROMIUM.exists()
    kiosk_browser = browser.browser_type.launch(executable_path=str(CHROMIUM), args=[
        *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={camera}"])
    try:
        context = kiosk_browser.new_context(viewport={"width": 800, "height": 1280}, has_touch=True, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{live_server.url}/kiosk?lang=zh_CN#token={token}")
        expect(page).not_to_have_url(re.compile("#token"))  # the token left the address at once
        expect(page.locator("video")).to_have_js_property("readyState", 4)  # the camera plays
        page.get_by_role("button", name="打卡", exact=True).click()
        status = page.locator("[data-status]")
        expect(status).to_contain_text("打卡成功：巴拉克", timeout=20_000)
        page.screenshot(path=str(artifacts / "kiosk-checked-in-zh.png"), full_page=True)
        page.get_by_role("button", name="打卡", exact=True).click()  # the fake camera sends the very same frame
        expect(status).to_contain_text("这张照片已经提交过", timeout=20_000)
        revoke(live_server.data_dir, point_id)
        page.get_by_role("button", name="打卡", exact=True).click()
        expect(status).to_contain_text("令牌无效或已停用", timeout=20_000)
        expect(page.locator("#kiosk-token")).to_be_visible()
        page.screenshot(path=str(artifacts / "kiosk-token-refused-zh.png"), full_page=True)
        context.close()
    finally:
        kiosk_browser.close()
