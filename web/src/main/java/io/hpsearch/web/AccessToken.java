package io.hpsearch.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What a dashboard reachable from other machines asks of a request that changes something (launch, cancel,
 * resume): the header {@code Authorization: Bearer TOKEN}. Reading stays open.
 */
public final class AccessToken {
    private static final String PREFIX = "Bearer ";

    private final String value;

    private AccessToken(String value) {
        this.value = value;
    }

    /** A random token: 192 bits, URL-safe. */
    public static AccessToken generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return new AccessToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** @throws IllegalArgumentException for a token too short to be safe, or one that does not fit in a header */
    public static AccessToken of(String value) {
        if (value.length() < 16 || !value.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("a token must be at least 16 printable ASCII characters, no spaces");
        }
        return new AccessToken(value);
    }

    public String value() {
        return value;
    }

    /** Whether an Authorization header carries this token; compared in constant time. */
    boolean acceptedBy(String authorizationHeader) {
        return authorizationHeader != null && authorizationHeader.startsWith(PREFIX)
                && MessageDigest.isEqual(authorizationHeader.substring(PREFIX.length()).getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }
}
