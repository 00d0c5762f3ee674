package dev.genaiplatform.guardrails.ner;

import net.datafaker.Faker;
import opennlp.tools.namefind.NameSample;
import opennlp.tools.util.Span;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * Generates labelled sentences for the name finder: the templates in {@code ner/templates.txt} and
 * {@code ner/negatives.txt} filled with Datafaker values from many locales, with casing noise (all lower case,
 * all upper case entities) because people type that way. Deterministic for a seed. The same generator, given
 * other template files and other locales ({@link #heldOut}), builds the held-out set the model is measured on.
 */
final class NerTrainingSentences {

    /**
     * Locales never used in training: the held-out set fills its own templates with their names and addresses.
     * Latin-script English, Spanish, French, Dutch, Catalan and Albanian variants, and Bulgarian (Cyrillic).
     */
    static final List<Locale> HELD_OUT_LOCALES = List.of(Locale.forLanguageTag("en-NZ"), Locale.forLanguageTag("en-ZA"),
            Locale.forLanguageTag("en-NG"), Locale.forLanguageTag("en-PH"), Locale.forLanguageTag("en-PK"),
            Locale.forLanguageTag("es-AR"), Locale.forLanguageTag("fr-CA"), Locale.forLanguageTag("nl-BE"),
            Locale.forLanguageTag("ca"), Locale.forLanguageTag("sq"), Locale.forLanguageTag("bg"));

    /** A generated text and its entities: {@code [start, end)} character offsets and their types. */
    record Labelled(String text, List<int[]> spans, List<String> types) {
    }

    /** Locales whose names and places fill the slots: Europe, the Americas, and a few others Datafaker covers. */
    static final List<Locale> LOCALES = List.of(Locale.US, Locale.UK, Locale.CANADA, Locale.forLanguageTag("en-AU"),
            Locale.forLanguageTag("en-IE"), Locale.forLanguageTag("en-IN"), Locale.GERMANY,
            Locale.forLanguageTag("de-AT"), Locale.forLanguageTag("de-CH"), Locale.FRANCE, Locale.ITALY,
            Locale.forLanguageTag("es"), Locale.forLanguageTag("es-MX"), Locale.forLanguageTag("pt-BR"),
            Locale.forLanguageTag("pt"), Locale.forLanguageTag("nl"), Locale.forLanguageTag("sv"),
            Locale.forLanguageTag("fi-FI"), Locale.forLanguageTag("nb-NO"), Locale.forLanguageTag("da-DK"),
            Locale.forLanguageTag("pl"), Locale.forLanguageTag("cs"), Locale.forLanguageTag("hu"),
            Locale.forLanguageTag("et"), Locale.forLanguageTag("lv"), Locale.forLanguageTag("tr"),
            Locale.forLanguageTag("el-GR"), Locale.forLanguageTag("ro"), Locale.forLanguageTag("hr"),
            Locale.forLanguageTag("sk"), Locale.forLanguageTag("uk"), Locale.forLanguageTag("ru"),
            Locale.forLanguageTag("id"), Locale.forLanguageTag("vi"), Locale.forLanguageTag("ja"));

    private static final String[] WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};

    private final Random random;
    private final List<Faker> fakers = new ArrayList<>();
    private final List<String> templates;
    private final List<String> negatives;

    NerTrainingSentences(long seed) {
        this(seed, LOCALES, "/ner/templates.txt", "/ner/negatives.txt");
    }

    private NerTrainingSentences(long seed, List<Locale> locales, String templates, String negatives) {
        this.random = new Random(seed);
        this.templates = read(templates);
        this.negatives = read(negatives);
        for (Locale locale : locales) {
            fakers.add(new Faker(locale, new Random(random.nextLong())));
        }
    }

    /** The held-out generator: other templates ({@code ner/held-out-*.txt}), other locales, never trained on. */
    static NerTrainingSentences heldOut(long seed) {
        return new NerTrainingSentences(seed, HELD_OUT_LOCALES, "/ner/held-out-templates.txt", "/ner/held-out-negatives.txt");
    }

    /** {@code count} labelled texts from the templates as written (a sixth without any entity), for measuring. */
    List<Labelled> generateLabelled(int count) {
        List<Labelled> texts = new ArrayList<>(count);
        while (texts.size() < count) {
            List<String> pool = random.nextInt(6) == 0 ? negatives : templates;
            Labelled labelled = fill(pool.get(random.nextInt(pool.size())));
            if (labelled != null) {
                texts.add(labelled);
            }
        }
        return texts;
    }

    /**
     * {@code count} sentences: about half from the templates, a sixth without any entity, and a third with one
     * entity inserted at a random place in another sentence, so the model cannot lean on the templates' words
     * around an entity and must learn what the entity itself looks like.
     */
    List<NameSample> generate(int count) {
        List<NameSample> samples = new ArrayList<>(count);
        while (samples.size() < count) {
            int draw = random.nextInt(6);
            List<String> pool = draw == 0 ? negatives : templates;
            String template = pool.get(random.nextInt(pool.size()));
            Labelled labelled = fill(draw >= 4 ? insertSlot(template) : template);
            NameSample sample = labelled == null ? null : toSample(labelled.text(), labelled.spans(), labelled.types());
            if (sample != null) {
                samples.add(sample);
            }
        }
        return samples;
    }

    private static final String[] INSERTED = {"{PERSON}", "{PERSON}", "{FIRST}", "{LAST}", "{CITY}", "{COUNTRY}",
            "{STREET}", "{FULL_ADDRESS}"};
    private static final String[] GLUE = {"", "", "", "with ", "by ", "to ", "from ", "and ", "for ", "in ", "at ",
            "near ", "called ", "named ", "of "};

    /** The template with one more slot placed before a random word. */
    private String insertSlot(String template) {
        String[] words = template.split(" ");
        int at = random.nextInt(words.length + 1);
        String slot = GLUE[random.nextInt(GLUE.length)] + INSERTED[random.nextInt(INSERTED.length)];
        List<String> out = new ArrayList<>(List.of(words));
        out.add(at, slot);
        return String.join(" ", out);
    }

    private Labelled fill(String template) {
        Faker faker = fakers.get(random.nextInt(fakers.size()));
        StringBuilder text = new StringBuilder();
        List<int[]> charSpans = new ArrayList<>();
        List<String> types = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                text.append(template, i, template.length());
                break;
            }
            text.append(template, i, open);
            int close = template.indexOf('}', open);
            String slot = template.substring(open + 1, close);
            String value;
            String type;
            try {
                value = value(slot, faker);
                type = type(slot);
            }
            catch (RuntimeException missingInLocale) {
                return null; // this locale lacks that kind of value; another draw will do
            }
            if (value == null || value.isBlank()) {
                return null;
            }
            if (type != null) {
                value = caseNoise(value);
                charSpans.add(new int[] {text.length(), text.length() + value.length()});
                types.add(type);
            }
            text.append(value);
            i = close + 1;
        }
        String sentence = text.toString();
        if (random.nextInt(12) == 0 && sentence.toLowerCase(Locale.ROOT).length() == sentence.length()) {
            sentence = sentence.toLowerCase(Locale.ROOT); // offsets hold only if lower-casing keeps the length
        }
        return new Labelled(sentence, charSpans, types);
    }

    private String caseNoise(String value) {
        int draw = random.nextInt(20);
        return draw == 0 ? value.toUpperCase(Locale.ROOT) : draw == 1 ? value.toLowerCase(Locale.ROOT) : value;
    }

    private static NameSample toSample(String sentence, List<int[]> charSpans, List<String> types) {
        List<TextTokens.Token> tokens = TextTokens.of(sentence);
        String[] words = tokens.stream().map(TextTokens.Token::text).toArray(String[]::new);
        List<Span> spans = new ArrayList<>();
        for (int s = 0; s < charSpans.size(); s++) {
            int first = -1;
            int last = -1;
            for (int t = 0; t < tokens.size(); t++) {
                TextTokens.Token token = tokens.get(t);
                if (token.start() >= charSpans.get(s)[0] && token.end() <= charSpans.get(s)[1]) {
                    first = first < 0 ? t : first;
                    last = t;
                }
            }
            boolean cutsAToken = first < 0 || tokens.get(first).start() != charSpans.get(s)[0]
                    || tokens.get(last).end() != charSpans.get(s)[1];
            if (cutsAToken) {
                return null; // the entity does not fall on token boundaries ("Anna's"): skip the sentence
            }
            spans.add(new Span(first, last + 1, types.get(s)));
        }
        return new NameSample(words, spans.toArray(Span[]::new), true);
    }

    private static String type(String slot) {
        return switch (slot) {
            case "PERSON", "FIRST", "LAST" -> "person";
            case "CITY", "COUNTRY", "STATE" -> "location";
            case "STREET", "FULL_ADDRESS", "STREET_NAME" -> "street_address";
            default -> null;
        };
    }

    private String value(String slot, Faker faker) {
        return switch (slot) {
            case "PERSON" -> random.nextInt(6) == 0 ? faker.name().firstName() + " " + faker.name().firstName().charAt(0)
                    + ". " + faker.name().lastName() : faker.name().firstName() + " " + faker.name().lastName();
            case "FIRST" -> faker.name().firstName();
            case "LAST" -> faker.name().lastName();
            case "CITY" -> faker.address().city();
            case "COUNTRY" -> faker.address().country();
            case "STATE" -> faker.address().state();
            case "STREET" -> random.nextInt(4) == 0 ? faker.address().streetAddress() + ", " + faker.address().secondaryAddress()
                    : faker.address().streetAddress();
            case "FULL_ADDRESS" -> fullAddress(faker);
            case "STREET_NAME" -> faker.address().streetName();
            case "MONEY" -> money();
            case "BOOK" -> faker.book().title();
            case "BAND" -> faker.rockBand().name();
            case "NATIONALITY" -> faker.nation().nationality();
            case "LANGUAGE" -> faker.nation().language();
            case "COMPANY" -> faker.company().name();
            case "EMAIL" -> faker.internet().emailAddress();
            case "PHONE" -> faker.phoneNumber().phoneNumber();
            case "JOB" -> faker.job().title();
            case "DATE" -> (1 + random.nextInt(12)) + "/" + (1 + random.nextInt(28)) + "/" + (1930 + random.nextInt(80));
            case "NUMBER" -> Integer.toString(1000 + random.nextInt(900_000));
            case "PRODUCT" -> faker.commerce().productName();
            case "WEEKDAY" -> WEEKDAYS[random.nextInt(WEEKDAYS.length)];
            case "MONTH" -> MONTHS[random.nextInt(MONTHS.length)];
            default -> throw new IllegalArgumentException("unknown slot " + slot);
        };
    }

    private static final String[] CURRENCY_WORDS = {"euros", "EUR", "dollars", "USD", "pounds", "GBP", "francs",
            "CHF", "złoty", "kronor", "crowns", "yen", "rupees", "pesos", "lei", "forint"};
    private static final String[] CURRENCY_SIGNS = {"€", "$", "£", "¥", "₹"};

    /** An amount of money as people write it: "1250 euros", "€1,250.00", "EUR 300", "$45". */
    private String money() {
        int amount = random.nextInt(5) == 0 ? 1 + random.nextInt(99) : 100 + random.nextInt(9_900);
        String digits = random.nextInt(3) == 0 && amount >= 1000
                ? String.format(Locale.ROOT, "%,d", amount) : Integer.toString(amount);
        if (random.nextInt(4) == 0) {
            digits += "." + (10 + random.nextInt(90));
        }
        String word = CURRENCY_WORDS[random.nextInt(CURRENCY_WORDS.length)];
        return switch (random.nextInt(4)) {
            case 0 -> CURRENCY_SIGNS[random.nextInt(CURRENCY_SIGNS.length)] + digits;
            case 1 -> word + " " + digits;
            default -> digits + " " + word;
        };
    }

    /** Several real-world layouts: one line or several, postcode before or after the city, country or not. */
    private String fullAddress(Faker faker) {
        var address = faker.address();
        Function<Integer, String> layout = choice -> switch (choice) {
            case 0 -> address.streetAddress() + ", " + address.zipCode() + " " + address.city();
            case 1 -> address.streetAddress() + "\n" + address.city() + ", " + address.stateAbbr() + " " + address.zipCode();
            case 2 -> address.streetAddress() + ", " + address.city() + " " + address.zipCode() + ", " + address.country();
            case 3 -> address.streetAddress() + " " + address.secondaryAddress() + ", " + address.city();
            default -> address.fullAddress();
        };
        return layout.apply(random.nextInt(5));
    }

    private static List<String> read(String resource) {
        try (InputStream in = NerTrainingSentences.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.replace("\\n", "\n")).toList(); // a literal \n in a template is a line break
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
