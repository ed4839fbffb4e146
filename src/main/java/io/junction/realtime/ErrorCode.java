package io.junction.realtime;

/** The {@code code} values of the {@code error} frame, exactly as the wire contract names them. */
public enum ErrorCode {
    bad_request,
    unauthorized,
    forbidden,
    not_found,
    rate_limited,
    too_large,
    internal
}
