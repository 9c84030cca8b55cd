"""Peer (a): the same mint done with google_auth_oauthlib's InstalledAppFlow.run_local_server.

Usage: python3 python_mint.py <credentials.json> <scope>...
Prints the consent URL (the library's own prompt) on stdout, as the library does, and the token
as JSON on stdout when done. Run it with PYTHONUNBUFFERED=1 so the prompt is seen at once, and
OAUTHLIB_INSECURE_TRANSPORT=1 because the emulator's token URL is plain http on loopback.
"""
import json
import sys

from google_auth_oauthlib.flow import InstalledAppFlow


def main():
    credentials, scopes = sys.argv[1], sys.argv[2:]
    flow = InstalledAppFlow.from_client_secrets_file(credentials, scopes=scopes)
    creds = flow.run_local_server(port=0, open_browser=False, access_type="offline", prompt="consent")
    token = {
        "token": creds.token,
        "refresh_token": creds.refresh_token,
        "token_uri": creds.token_uri,
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "scopes": creds.scopes,
        "expiry": creds.expiry.isoformat() + "Z" if creds.expiry else None,
    }
    sys.stdout.write(json.dumps(token) + "\n")


if __name__ == "__main__":
    main()
