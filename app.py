"""Chalice entry points: every hook only delegates to chalicelib."""

from chalice import Chalice, Rate

from chalicelib import api, wiring
from chalicelib.observability import flushed
from chalicelib.ws import gateway_api, hooks

wiring.install_dynamodb()
app = Chalice(app_name="csms")
app.experimental_feature_flags.update(["WEBSOCKETS"])
# Chalice hands each WebSocket event's API id to it; frames go out through chalicelib.gateway.sender().
app.websocket_api = gateway_api.EventApi()
if api.serves_rest():
    api.register(app)


@app.on_ws_connect()
def ws_connect(event):
    with flushed():
        return hooks.on_connect(event)


@app.on_ws_message()
def ws_message(event):
    with flushed():
        hooks.on_message(event)


@app.on_ws_disconnect()
def ws_disconnect(event):
    hooks.on_disconnect(event)


@app.schedule(Rate(1, unit=Rate.MINUTES))
def every_minute(event):
    with flushed():
        from chalicelib.jobs.runner import every_minute as run_jobs

        run_jobs(event.to_dict())


@app.lambda_function(name="report_worker")
def report_worker(event, context):
    """One share of a report job, invoked asynchronously; it invokes itself again when the job is not over."""
    with flushed():
        from chalicelib.domain.reports import run_chained

        # Leave a minute for the last part's upload and the checkpoint before Lambda's own timeout.
        budget_s = max(context.get_remaining_time_in_millis() / 1000.0 - 60.0, 10.0)
        run_chained(event["org_id"], event["report_id"], budget_s)
