# Production image: the web app (gunicorn), the Celery worker and beat all run from it.
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOUQIN_DATA_DIR=/data
WORKDIR /app
# a CJK font the PDF reports embed, so their Chinese reads the same in every viewer
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md gunicorn.conf.py ./
COPY engine engine
COPY webapp webapp
COPY workflows workflows
COPY forms forms
COPY rules rules
COPY bpmn bpmn
COPY migrations migrations
COPY vendor vendor
COPY --from=assets /assets/node_modules/echarts/dist/echarts.min.js webapp/static/vendor/echarts.min.js
COPY --from=assets /assets/node_modules/bpmn-js/dist/bpmn-modeler.production.min.js /assets/node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js /assets/node_modules/bpmn-js/dist/assets/diagram-js.css /assets/node_modules/bpmn-js/dist/assets/bpmn-js.css webapp/static/vendor/bpmn-js/
COPY --from=assets /assets/node_modules/bpmn-js/dist/assets/bpmn-font webapp/static/vendor/bpmn-js/bpmn-font
RUN pip install --no-cache-dir ./vendor/dlib-shim && pip install --no-cache-dir -e . && pybabel compile -d webapp/translations
RUN useradd --create-home houqin && mkdir -p /data && chown houqin /data
USER houqin
EXPOSE 8000
# gunicorn also reads ./gunicorn.conf.py: the workers' garbage collection, done between requests
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "webapp:create_app()"]
