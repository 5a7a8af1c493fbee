"""LangChain Python's CassandraChatMessageHistory (langchain_community + cassio), driven by
test/integration/langchain/python-peer.test.ts to prove the cassio layout interoperates both ways.

usage: peer.py COMMAND KEYSPACE TABLE SESSION
  write      adds conversation() through the Python history; prints messages_to_dict of what it added
  check      reads the session through the Python history; prints {"equal": bool, "read": [...]},
             equal when the messages read equal conversation() (pydantic equality, field by field)
  write-nan  adds an AI message whose response_metadata holds NaN and Infinity (json.dumps writes
             them as bare NaN/Infinity tokens, which JSON.parse rejects), then a human message
Connection: CASSANDRA_CONTACT_POINTS, CASSANDRA_PORT, CASSANDRA_USERNAME/CASSANDRA_PASSWORD.
"""
import json
import os
import sys

from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster
from langchain_community.chat_message_histories import CassandraChatMessageHistory
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage, messages_to_dict


def conversation():
    """The messages both sides write and expect; the TypeScript test builds the same ones."""
    return [
        SystemMessage(content="Tu es un assistant météo. Réponds brièvement. 🌦", id="sys-1"),
        HumanMessage(content="Wie wird das Wetter in Zürich? 天気は？", id="human-1", name="Jürgen"),
        AIMessage(
            content="",
            id="ai-1",
            tool_calls=[
                {"id": "call_1", "name": "get_weather", "args": {"city": "Zürich", "units": "°C"}, "type": "tool_call"},
                {"id": "call_2", "name": "get_weather", "args": {"city": "東京"}, "type": "tool_call"},
            ],
            usage_metadata={"input_tokens": 12, "output_tokens": 7, "total_tokens": 19},
            response_metadata={"model_name": "fake-model", "finish_reason": "tool_calls"},
        ),
        ToolMessage(content='{"temp": 18, "sky": "☀️"}', tool_call_id="call_1", id="tool-1", name="get_weather"),
        ToolMessage(content="Erreur: ville inconnue «東京»", tool_call_id="call_2", id="tool-2", status="error"),
        AIMessage(content="In Zürich sind es 18 °C ☀️; für 東京 habe ich keine Daten.", id="ai-2"),
    ]


def history(keyspace, table, session_id):
    hosts = [h.strip() for h in os.environ.get("CASSANDRA_CONTACT_POINTS", "127.0.0.1").split(",") if h.strip()]
    port = int(os.environ.get("CASSANDRA_PORT", "9042"))
    user = os.environ.get("CASSANDRA_USERNAME")
    auth = PlainTextAuthProvider(user, os.environ.get("CASSANDRA_PASSWORD", "")) if user else None
    cluster = Cluster(hosts, port=port, auth_provider=auth)
    session = cluster.connect()
    return cluster, CassandraChatMessageHistory(session_id=session_id, session=session, keyspace=keyspace, table_name=table)


def main(argv):
    command, keyspace, table, session_id = argv[1:5]
    cluster, chat = history(keyspace, table, session_id)
    try:
        if command == "write":
            messages = conversation()
            chat.add_messages(messages)
            print(json.dumps(messages_to_dict(messages)))
        elif command == "check":
            read = chat.messages
            print(json.dumps({"equal": read == conversation(), "read": messages_to_dict(read)}))
        elif command == "write-nan":
            chat.add_messages([
                AIMessage(content="scores", id="nan-1", response_metadata={"logprob": float("nan"), "max": float("inf"), "min": float("-inf")}),
                HumanMessage(content="still readable", id="after-nan"),
            ])
            print(json.dumps({"written": 2}))
        else:
            raise SystemExit(f"unknown command {command}")
    finally:
        cluster.shutdown()


if __name__ == "__main__":
    main(sys.argv)
