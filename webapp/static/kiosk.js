// The kiosk page: the camera in a <video>, one frame posted as a JPEG when the person taps "Check in".
// The check-in point's token is kept in this tablet's storage; a token in the address (#token=…) is taken and
// removed from the address at once.
(() => {
  const root = document.querySelector('[data-kiosk]');
  if (!root) return;
  const KEY = 'houqin-kiosk-token';
  const tokenForm = root.querySelector('[data-token-form]');
  const camera = root.querySelector('[data-camera]');
  const video = root.querySelector('video');
  const button = root.querySelector('[data-check-in]');
  const status = root.querySelector('[data-status]');
  const say = (text, kind) => { status.textContent = text; status.dataset.kind = kind || ''; };
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, name) => values[name] ?? '');

  if (location.hash.startsWith('#token=')) {
    localStorage.setItem(KEY, decodeURIComponent(location.hash.slice(7)));
    history.replaceState(null, '', location.pathname + location.search);
  }

  const askToken = () => { camera.hidden = true; tokenForm.hidden = false; };
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = tokenForm.elements.token.value.trim();
    if (!token) return;
    localStorage.setItem(KEY, token);
    tokenForm.hidden = true;
    start();
  });
  root.querySelector('[data-forget]').addEventListener('click', () => { localStorage.removeItem(KEY); say(''); askToken(); });

  async function start() {
    camera.hidden = false;
    try {
      video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, facingMode: 'user' }, audio: false });
      await video.play();
    } catch (err) {
      say(root.dataset.cameraError, 'error');
    }
  }

  function frame() {
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth || 640;
    canvas.height = video.videoHeight || 480;
    canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.9);
  }

  button.addEventListener('click', async () => {
    button.disabled = true;
    say(root.dataset.sending, 'busy');
    try {
      const response = await fetch(root.dataset.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${localStorage.getItem(KEY) || ''}` },
        body: JSON.stringify({ photo: frame() }),
      });
      const body = await response.json();
      if (response.ok) {
        const time = new Date(body.checkin.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
        say(fill(body.repeated ? root.dataset.already : root.dataset.welcome, { name: body.staff.name, time }), 'success');
      } else if (response.status === 401) {
        say(root.dataset.badToken, 'error');
        localStorage.removeItem(KEY);
        askToken();
      } else {
        say(body.error.message, 'error');
      }
    } catch (err) {
      say(root.dataset.offline, 'error');
    } finally {
      button.disabled = false;
    }
  });

  if (localStorage.getItem(KEY)) start(); else askToken();
})();
