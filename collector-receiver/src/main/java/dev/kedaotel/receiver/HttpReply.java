package dev.kedaotel.receiver;

/**
 * A complete HTTP response produced by {@link OtlpHttpHandler}, for whichever HTTP server mounts it.
 *
 * @param status HTTP status code
 * @param contentType the Content-Type header value
 * @param body the response body (never null)
 */
public record HttpReply(int status, String contentType, byte[] body) {
}
