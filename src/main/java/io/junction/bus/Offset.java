package io.junction.bus;

/**
 * A position in one channel's history: {@code <epoch>:<seq>}. The epoch names one life of the
 * channel's history (it changes when history is lost or reset), so an offset from an earlier life is
 * recognised as such instead of being compared with numbers that mean something else now.
 * Clients treat the string as opaque.
 */
public record Offset(String epoch, long seq) {

    public static Offset parse(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.length() > 64) {
            throw new IllegalArgumentException("'" + text + "' is not an offset Junction gave out");
        }
        long seq;
        try {
            seq = Long.parseLong(text, colon + 1, text.length(), 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an offset Junction gave out");
        }
        if (seq < 0) {
            throw new IllegalArgumentException("'" + text + "' is not an offset Junction gave out");
        }
        return new Offset(text.substring(0, colon), seq);
    }

    @Override
    public String toString() {
        return epoch + ":" + seq;
    }
}
