#!/usr/bin/env python3
"""Reads a ledger's event log with nothing but Python: the `data` and `meta` columns as the JSON
they hold, whichever way a row keeps them (text, or compact: the format EventStorageCodec.swift
describes, with the phrase table schema/event_phrases_v1.json). The chain's hash is over this JSON.
Format 2 adds references into the row's window: its stream and recorded_at as text (prefix()),
then, for `meta`, its `data` JSON: row_json() reads both columns of a row.
`event_id` and `stream` read as their text too, kept as text or with a UUID packed into 16 bytes
(EventKeyStorage.swift), a stream's prefix as its code in schema/event_stream_prefixes_v1.json:
key_text() reads each form. `type` is kept as text or as its index in
schema/event_types_v1.json, a one-byte BLOB (EventTypeStorage.swift): type_text() reads either.

    python3 tools/event_storage.py data/ledger.sqlite [--after SEQ] [--limit N]

prints one JSON object per event (seq, stream, type, event_id, recorded_at_ms, data, meta).
Other tools import row_json() to read the two columns themselves.
"""
import argparse
import json
import os
import sqlite3
import sys

VERSION1, VERSION2 = 0x01, 0x02
LOWER_UUID, UPPER_UUID, LOWER_HEX, UPPER_HEX, PHRASE = 0x02, 0x03, 0x04, 0x05, 0x06
REFERENCE, REFERENCE_MINIMUM = 0x09, 4
SINGLE_PHRASE_CODES = [0x07, 0x08, 0x0B, 0x0C] + list(range(0x0E, 0x20))
PHRASES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schema", "event_phrases_v1.json")

TYPES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schema", "event_types_v1.json")
STREAM_PREFIXES_FILE = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "schema", "event_stream_prefixes_v1.json")

_phrases = None
_types = None
_stream_prefixes = None


def phrases():
    global _phrases
    if _phrases is None:
        with open(PHRASES_FILE, encoding="utf-8") as file:
            _phrases = [phrase.encode() for phrase in json.load(file)]
    return _phrases


def type_text(stored):
    """The name of a stored `type`: as stored when text; a one-byte BLOB is its entry in the
    frozen table, and any other BLOB (a damaged file) reads as the ledger reads it."""
    global _types
    if stored is None or isinstance(stored, str):
        return stored
    if _types is None:
        with open(TYPES_FILE, encoding="utf-8") as file:
            _types = json.load(file)
    code = bytes(stored)
    return _types[code[0]] if len(code) == 1 and code[0] < len(_types) else f"(type code {code.hex()}, not in event_types_v1)"


def stream_prefixes():
    global _stream_prefixes
    if _stream_prefixes is None:
        with open(STREAM_PREFIXES_FILE, encoding="utf-8") as file:
            _stream_prefixes = json.load(file)
    return _stream_prefixes


def uuid_text(raw):
    """16 bytes as a UUID's lower-case text, as the ledger writes one (in JSON and in keys)."""
    digits = raw.hex()
    return "-".join((digits[0:8], digits[8:12], digits[12:16], digits[16:20], digits[20:32]))


def prefix(stream, recorded_at):
    """The start of a row's window: its stream's text and its recorded_at in decimal."""
    return stream.encode() + str(recorded_at).encode()


def row_json(stream, recorded_at, data, meta):
    """A row's `data` and `meta` as JSON text, from their stored values and the row's stream
    (its text, as key_text() gives it) and recorded_at."""
    start = prefix(stream, recorded_at)
    data_text = json_text(data, start)
    return data_text, json_text(meta, start, data_text.encode() if data_text is not None else b"")


def json_text(stored, window_prefix, previous=b""):
    """The JSON text of a stored `data` or `meta` value (str, bytes, or None). A format 2 value
    needs its row's window: prefix(), and for `meta` the row's `data` JSON (row_json()); read
    with another, it would copy the wrong bytes."""
    if stored is None or isinstance(stored, str):
        return stored
    raw = bytes(stored)
    if not raw or raw[0] not in (VERSION1, VERSION2):
        return raw.decode()
    table = phrases()
    window = bytearray(window_prefix + previous)
    context = len(window)
    index = 1
    while index < len(raw):
        byte = raw[index]
        index += 1
        if byte >= 0x20:
            window.append(byte)
        elif byte == REFERENCE and raw[0] == VERSION2:
            position, shift = 0, 0
            while True:
                if index >= len(raw) or shift > 14:
                    raise ValueError("a reference is cut short")
                position |= (raw[index] & 0x7F) << shift
                index += 1
                if raw[index - 1] < 0x80:
                    break
                shift += 7
            if index >= len(raw):
                raise ValueError("a reference is cut short")
            length = REFERENCE_MINIMUM + raw[index]
            index += 1
            if position + length > len(window):
                raise ValueError("a reference reaches past the bytes before it")
            window += window[position:position + length]
        elif byte in (LOWER_UUID, UPPER_UUID):
            if index + 16 > len(raw):
                raise ValueError("a UUID is cut short")
            text = uuid_text(raw[index:index + 16])
            window += (text.upper() if byte == UPPER_UUID else text).encode()
            index += 16
        elif byte in (LOWER_HEX, UPPER_HEX):
            if index >= len(raw):
                raise ValueError("a hex run is cut short")
            pairs = raw[index]
            digits = raw[index + 1:index + 1 + pairs].hex()
            if len(digits) != 2 * pairs:
                raise ValueError("a hex run is cut short")
            window += (digits.upper() if byte == UPPER_HEX else digits).encode()
            index += 1 + pairs
        elif byte == PHRASE:
            if index >= len(raw):
                raise ValueError("a phrase is cut short")
            window += table[len(SINGLE_PHRASE_CODES) + raw[index]]
            index += 1
        elif byte in SINGLE_PHRASE_CODES:
            window += table[SINGLE_PHRASE_CODES.index(byte)]
        else:
            raise ValueError(f"byte {byte} is not a code")
    return window[context:].decode()


def key_text(stored, column):
    """The text of a stored `event_id` or `stream` (column names which): as stored when text;
    from a BLOB, an id is the UUID's 16 bytes, a stream one byte giving where the UUID starts in
    the text, the text before it, its 16 bytes, the text after it. A BLOB of another shape (a
    damaged file) reads as its hex, as the ledger reads it."""
    if stored is None or isinstance(stored, str):
        return stored
    raw = bytes(stored)
    if column == "event_id":
        return uuid_text(raw) if len(raw) == 16 else raw.hex()
    if len(raw) == 17 and raw[0] > 0:
        # Since event_stream_prefixes_v1: a prefix's code (its index in the table plus one), then
        # the UUID's 16 bytes. A code outside the table (a damaged file) reads as the hex.
        prefixes = stream_prefixes()
        return prefixes[raw[0] - 1] + uuid_text(raw[1:]) if raw[0] <= len(prefixes) else raw.hex()
    if not raw or 1 + raw[0] + 16 > len(raw):
        return raw.hex()
    start = 1 + raw[0]
    return (raw[1:start] + uuid_text(raw[start:start + 16]).encode() + raw[start + 16:]).decode("utf-8", "replace")


def main():
    parser = argparse.ArgumentParser(description="Print a ledger's events as JSON lines.")
    parser.add_argument("database", help="the ledger.sqlite file")
    parser.add_argument("--after", type=int, default=0, help="only events after this seq")
    parser.add_argument("--limit", type=int, default=None, help="at most this many events")
    arguments = parser.parse_args()
    connection = sqlite3.connect(f"file:{arguments.database}?mode=ro", uri=True)
    sql = "SELECT seq, stream, type, event_id, recorded_at, data, meta FROM events WHERE seq > ? ORDER BY seq"
    parameters = [arguments.after]
    if arguments.limit is not None:
        sql += " LIMIT ?"
        parameters.append(arguments.limit)
    for seq, stream, event_type, event_id, recorded_at, data, meta in connection.execute(sql, parameters):
        # data and meta as stored, byte for byte (the hash's bytes), not re-encoded by Python.
        stream = key_text(stream, "stream")
        head = json.dumps({"seq": seq, "stream": stream, "type": type_text(event_type),
                           "event_id": key_text(event_id, "event_id"),
                           "recorded_at_ms": recorded_at}, separators=(",", ":"))
        data, meta = row_json(stream, recorded_at, data, meta)
        sys.stdout.write(f'{head[:-1]},"data":{data},"meta":{meta}}}\n')


if __name__ == "__main__":
    main()
