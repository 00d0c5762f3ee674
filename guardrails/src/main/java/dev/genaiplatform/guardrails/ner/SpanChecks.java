package dev.genaiplatform.guardrails.ner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The third wave's checks on what the name finder and the lexicon return, applied in {@link NameFinderDetector#find}
 * (one pass over the spans, no model call). Each removes or re-labels one kind of mistake seen on generated and
 * development text; the README's accuracy section measures them together with the model they shipped with.
 */
final class SpanChecks {

    private final NameLexicon lexicon;

    SpanChecks(NameLexicon lexicon) {
        this.lexicon = lexicon;
    }

    /** The spans that pass, re-labelled where a check says so, in text order. */
    List<NameFinderDetector.EntitySpan> apply(String text, List<NameFinderDetector.EntitySpan> found) {
        List<NameFinderDetector.EntitySpan> checked = found.stream().filter(span -> plausible(text, span)
                && cased(text, span) && !wordNotName(text, span)).map(span -> streetNotPerson(text, span)).toList();
        return surnamesNotPlaces(text, checked);
    }

    /**
     * A one-word person that is also an English word at a sentence start ("Grant access…"), or that a place or
     * organisation word follows ("Victoria Station"), is the word or the place, not a person.
     */
    private static boolean wordNotName(String text, NameFinderDetector.EntitySpan span) {
        if (!span.category().equals("PERSON")) {
            return false;
        }
        List<TextTokens.Token> inside = TextTokens.of(text.substring(span.start(), span.end()));
        if (inside.size() != 1) {
            return false;
        }
        List<TextTokens.Token> after = TextTokens.of(text.substring(span.end(), Math.min(text.length(), span.end() + 40)));
        if (!after.isEmpty() && NameLexicon.NOT_SURNAMES.contains(after.getFirst().text().toLowerCase(Locale.ROOT))
                && Character.isUpperCase(after.getFirst().text().codePointAt(0))) {
            return true;
        }
        String before = text.substring(0, span.start()).stripTrailing();
        boolean sentenceStart = before.isEmpty() || ".!?:;\n\"“(>".indexOf(before.charAt(before.length() - 1)) >= 0
                || text.substring(before.length(), span.start()).indexOf('\n') >= 0;
        return sentenceStart && NameLexicon.isWordName(inside.getFirst().text());
    }

    /**
     * A person followed, after one space, by a one-word place is one name whose surname the model took for a place
     * ("Maria" + "Rossi"): people are rarely written right before a place without a preposition.
     */
    private static List<NameFinderDetector.EntitySpan> surnamesNotPlaces(String text, List<NameFinderDetector.EntitySpan> spans) {
        List<NameFinderDetector.EntitySpan> joined = new ArrayList<>();
        for (NameFinderDetector.EntitySpan span : spans) {
            NameFinderDetector.EntitySpan last = joined.isEmpty() ? null : joined.getLast();
            if (last != null && last.category().equals("PERSON") && span.category().equals("LOCATION")
                    && text.substring(last.end(), span.start()).equals(" ")
                    && TextTokens.of(text.substring(span.start(), span.end())).size() == 1) {
                joined.set(joined.size() - 1, new NameFinderDetector.EntitySpan("PERSON", last.start(), span.end()));
            } else {
                joined.add(span);
            }
        }
        return joined;
    }

    /** Kinds of street that also end names ("Cruz Forge", "Grace Overpass"): English street types Datafaker uses. */
    private static final Set<String> STREET_TYPES = Set.of("alley", "bypass", "circle", "close", "crescent",
            "crossing", "estate", "estates", "expressway", "ferry", "flat", "flats", "ford", "fords", "forge", "forges",
            "freeway", "garden", "gardens", "gateway", "grove", "harbor", "harbour", "heights", "hollow", "junction",
            "landing", "loop", "mall", "manor", "meadow", "meadows", "mews", "mill", "mills", "motorway", "overpass",
            "park", "parks", "parkway", "pass", "path", "pike", "pines", "plaza", "point", "points", "port", "ridge",
            "route", "row", "run", "shore", "shores", "skyway", "spring", "springs", "terrace", "trace", "trail",
            "tunnel", "turnpike", "underpass", "union", "unions", "valley", "view", "villa", "villas", "village",
            "vista", "walk", "well", "wells", "wharf", "hill", "hills", "mount", "island", "lake", "lakes", "river",
            "station", "corner", "creek", "cove", "glen", "green", "greens", "haven", "keys", "knoll", "lodge",
            "locks", "oval", "plains", "prairie", "radial", "ramp", "ranch", "rapids", "rest", "shoal", "shoals",
            "stravenue", "stream", "summit", "throughway", "track", "trafficway", "viaduct", "ville", "ways");
    private static final java.util.regex.Pattern HOUSE_NUMBER_BEFORE = java.util.regex.Pattern.compile("(\\d{1,6}[a-zA-Z]?)[ \\t]+$");

    /**
     * A "person" right after a house number is a street: "835 Cruz Forge", "0879 David Flats". The span becomes a
     * street address from the number on. A number that reads as a year ("in 2019 Maria Lopez joined") counts only
     * when the name ends in a kind of street.
     */
    private static NameFinderDetector.EntitySpan streetNotPerson(String text, NameFinderDetector.EntitySpan span) {
        if (!span.category().equals("PERSON")) {
            return span;
        }
        var before = HOUSE_NUMBER_BEFORE.matcher(text.substring(Math.max(0, span.start() - 12), span.start()));
        if (!before.find()) {
            return span;
        }
        String number = before.group(1);
        List<TextTokens.Token> tokens = TextTokens.of(text.substring(span.start(), span.end()));
        boolean streetType = !tokens.isEmpty() && STREET_TYPES.contains(tokens.getLast().text().toLowerCase(Locale.ROOT));
        boolean year = number.matches("(?:19|20)\\d\\d");
        if (year && !streetType) {
            return span;
        }
        int numberStart = span.start() - (before.end() - before.start());
        boolean wordStart = numberStart == 0 || !Character.isLetterOrDigit(text.charAt(numberStart - 1));
        return wordStart ? new NameFinderDetector.EntitySpan("STREET_ADDRESS", numberStart, span.end()) : span;
    }

    /**
     * A person or place written without a capital letter ("nina", "berlin") in a text that does use capitals is kept
     * only when every word of it is on the name lists: the model, trained with some lower-cased sentences so
     * chat-style text is covered, otherwise takes ordinary lower-case words for names ("gym", "step"). In a text
     * written all in lower case the model decides alone.
     */
    private boolean cased(String text, NameFinderDetector.EntitySpan span) {
        if (span.category().equals("STREET_ADDRESS") || text.codePoints().noneMatch(Character::isUpperCase)
                || text.substring(span.start(), span.end()).codePoints().anyMatch(Character::isUpperCase)) {
            return true;
        }
        return TextTokens.of(text.substring(span.start(), span.end())).stream()
                .filter(token -> token.text().codePoints().anyMatch(Character::isLetter))
                .allMatch(token -> lexicon.isKnownName(token.text()));
    }

    /** Currency words and signs, and units: a number followed only by these is an amount, not an address. */
    private static final Set<String> AMOUNT_WORDS = Set.of("eur", "euro", "euros", "usd", "dollar", "dollars", "gbp",
            "pound", "pounds", "chf", "franc", "francs", "jpy", "yen", "cny", "yuan", "inr", "rupee", "rupees", "pln",
            "zł", "złoty", "zloty", "sek", "nok", "dkk", "kr", "krona", "kronor", "krone", "kroner", "crowns", "czk",
            "huf", "forint", "ron", "lei", "mxn", "peso", "pesos", "brl", "reais", "cents", "k", "m", "bn", "million",
            "millions", "billion", "thousand", "hundred", "per", "a", "an", "each", "month", "monthly", "year",
            "yearly", "km", "kg", "g", "mb", "gb", "tb", "ms", "min", "mins", "minutes", "hours", "days", "items",
            "units", "pcs", "%", "€", "$", "£", "¥", "₹", "₽", ",", ".", "-", "/");

    /**
     * Checks on each span the model and lexicon return. Dropped: a span inside a word that holds an {@code @} (an
     * e-mail address or handle: the PII detector owns those, and "UshurmaDratchev" in front of "@rhyta.com" is not
     * a person mention), and a street address made only of numbers, currency words or signs and units ("1250
     * euros", "$300", "12 items": an amount, not an address).
     */
    private static boolean plausible(String text, NameFinderDetector.EntitySpan span) {
        int wordStart = span.start();
        while (wordStart > 0 && !Character.isWhitespace(text.charAt(wordStart - 1))) {
            wordStart--;
        }
        int wordEnd = span.end();
        while (wordEnd < text.length() && !Character.isWhitespace(text.charAt(wordEnd))) {
            wordEnd++;
        }
        if (text.substring(wordStart, span.start()).indexOf('@') >= 0 || text.substring(span.end(), wordEnd).indexOf('@') >= 0) {
            return false;
        }
        if (span.category().equals("STREET_ADDRESS")) {
            return !TextTokens.of(text.substring(span.start(), span.end())).stream()
                    .map(token -> token.text().toLowerCase(Locale.ROOT))
                    .allMatch(token -> token.chars().allMatch(c -> Character.isDigit(c) || c == ',' || c == '.')
                            || AMOUNT_WORDS.contains(token));
        }
        return true;
    }
}
