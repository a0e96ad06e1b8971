#!/usr/bin/env python3
"""A real Synapse homeserver for the Matrix tests, on loopback.

Run with the Python of a venv that has matrix-synapse installed:

    synapse.py --dir DIR --port PORT --watch PID --users bot,alice,bob

Writes a fresh config into DIR, starts Synapse, waits until it answers,
registers the users through the shared-secret admin API, prints one JSON line
({"url": ..., "users": {name: {"user_id", "password", "access_token"}}}), then
stays until process PID (the test run) is gone or stdin closes, and stops
Synapse by its PID. Only the standard library and Synapse's own venv are used.
"""
import argparse, hashlib, hmac, json, os, signal, subprocess, sys, time, urllib.request

SECRET = "ci-test-shared-secret"


def call(url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def register(base, name, password):
    nonce = call(f"{base}/_synapse/admin/v1/register")["nonce"]
    mac = hmac.new(SECRET.encode(), digestmod=hashlib.sha1)
    mac.update("\0".join([nonce, name, password, "notadmin"]).encode())
    res = call(f"{base}/_synapse/admin/v1/register", {
        "nonce": nonce, "username": name, "password": password, "admin": False, "mac": mac.hexdigest(),
    })
    return {"user_id": res["user_id"], "password": password, "access_token": res["access_token"]}


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--watch", type=int, required=True)
    p.add_argument("--users", default="bot,alice,bob,mallory")
    p.add_argument("--sets", type=int, default=1, help="register each user N times, suffixed 1..N")
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    template = open(os.path.join(here, "homeserver.yaml")).read()
    cfg = os.path.join(a.dir, "homeserver.yaml")
    with open(cfg, "w") as f:
        f.write(template.replace("@DATA@", a.dir).replace("@PORT@", str(a.port))
                .replace("@DB@", os.path.join(a.dir, "homeserver.db")))
    py = sys.executable
    subprocess.run([py, "-m", "synapse.app.homeserver", "-c", cfg, "--generate-keys"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = open(os.path.join(a.dir, "synapse.log"), "w")
    syn = subprocess.Popen([py, "-m", "synapse.app.homeserver", "-c", cfg], stdout=log, stderr=log, cwd=a.dir)
    base = f"http://127.0.0.1:{a.port}"

    def stop(*_):
        if syn.poll() is None:
            syn.send_signal(signal.SIGTERM)
            try:
                syn.wait(10)
            except subprocess.TimeoutExpired:
                syn.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    deadline = time.time() + 90
    while True:
        if syn.poll() is not None:
            sys.exit(f"synapse exited with {syn.returncode}; see {a.dir}/synapse.log")
        try:
            call(f"{base}/_matrix/client/versions")
            break
        except Exception:
            if time.time() > deadline:
                stop()
            time.sleep(0.1)
    names = [f"{n}{i}" for i in range(1, a.sets + 1) for n in a.users.split(",")] if a.sets > 1 else a.users.split(",")
    users = {name: register(base, name, name + "-pass-1234") for name in names}
    print(json.dumps({"url": base, "users": users}), flush=True)
    while alive(a.watch) and syn.poll() is None:
        time.sleep(0.5)
    stop()


if __name__ == "__main__":
    main()
