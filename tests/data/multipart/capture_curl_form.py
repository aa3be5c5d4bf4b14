#!/usr/bin/python3
"""Records multipart requests exactly as curl sends them, for the parser tests.

Listens on 127.0.0.1 (an ephemeral port), lets curl post a multipart/form-data
form (a text field, a file upload, a JSON part, a UTF-8 filename), answers
204, and writes the raw request bytes next to this script as curl_form.http.
Run: /usr/bin/python3 tests/data/multipart/capture_curl_form.py
"""
import os
import socket
import subprocess
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))


def serve_once(sock, out):
    conn, _ = sock.accept()
    data = b""
    conn.settimeout(5)
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if len(body) >= length:
                break
    conn.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
    conn.close()
    out.append(data)


def main():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]
    out = []
    t = threading.Thread(target=serve_once, args=(sock, out))
    t.start()
    with tempfile.TemporaryDirectory() as tmp:
        upload = os.path.join(tmp, "shell.php")
        with open(upload, "w") as f:
            f.write("<?php system($_GET['c']); ?>\n")
        subprocess.run(
            ["curl", "-sS", "-o", "/dev/null", "-H", "Expect:",
             "--form-string", "comment=<img src=x onerror=alert(1)>",
             "-F", f"upload=@{upload};type=application/x-php",
             "-F", 'meta={"user":{"id":"1 OR 1=1"}};type=application/json',
             "-F", f"doc=@{upload};filename=r\u00e9sum\u00e9.php",
             f"http://127.0.0.1:{port}/upload"],
            check=True)
    t.join()
    with open(os.path.join(HERE, "curl_form.http"), "wb") as f:
        f.write(out[0])
    print(out[0][:400].decode(errors="replace"))


if __name__ == "__main__":
    main()
