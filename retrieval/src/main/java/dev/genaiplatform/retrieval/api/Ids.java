package dev.genaiplatform.retrieval.api;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Unguessable ids (96 random bits), so knowing one file id says nothing about another. */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String random() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
