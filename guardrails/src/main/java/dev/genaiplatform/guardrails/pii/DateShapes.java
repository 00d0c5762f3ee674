package dev.genaiplatform.guardrails.pii;

/**
 * Recognises the dates that digit-group patterns would otherwise take for phone numbers: {@code 05.06.2024},
 * {@code 5/6/24}, {@code 2024-06-05}, possibly followed by a time ({@code 05.06.2024 10:30}). Only real
 * calendar values count, so {@code 01.84.17.61.18} (month 84) stays a phone number.
 */
final class DateShapes {

    private DateShapes() {
    }

    /** Whether {@code text[start, end)} begins with a day-month-year or year-month-day date. */
    static boolean startsWithDate(String text, int start, int end) {
        int[] groups = new int[3];
        int[] lengths = new int[3];
        int position = start;
        char separator = 0;
        for (int group = 0; group < 3; group++) {
            int groupStart = position;
            while (position < end && NumberScanner.isAsciiDigit(text.charAt(position))) {
                position++;
            }
            lengths[group] = position - groupStart;
            if (lengths[group] == 0 || lengths[group] > 4) {
                return false;
            }
            groups[group] = Integer.parseInt(text, groupStart, position, 10);
            if (group < 2) {
                if (position >= end || !isDateSeparator(text.charAt(position))
                        || separator != 0 && text.charAt(position) != separator) {
                    return false;
                }
                separator = text.charAt(position++);
            }
        }
        boolean yearFirst = lengths[0] == 4 && lengths[1] <= 2 && lengths[2] <= 2
                && isMonth(groups[1]) && isDay(groups[2]);
        boolean yearLast = lengths[0] <= 2 && lengths[1] <= 2 && (lengths[2] == 4 || lengths[2] == 2 && position == end)
                && (isDay(groups[0]) && isMonth(groups[1]) || isMonth(groups[0]) && isDay(groups[1]));
        return yearFirst || yearLast;
    }

    private static boolean isDateSeparator(char c) {
        return c == '.' || c == '-' || c == '/';
    }

    private static boolean isMonth(int value) {
        return value >= 1 && value <= 12;
    }

    private static boolean isDay(int value) {
        return value >= 1 && value <= 31;
    }
}
