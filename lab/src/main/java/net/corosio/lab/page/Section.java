package net.corosio.lab.page;

/**
 * One section of the report: a question, its answer in one sentence computed from the data, and
 * the evidence (charts, tables, how to reproduce).
 *
 * @param id the anchor, e.g. {@code load}
 * @param title the heading
 * @param question the question the section answers
 * @param answer one sentence, plain text, computed from the inputs
 * @param evidence HTML: charts (inline SVG), tables and notes
 * @param charts how many charts the evidence holds
 */
record Section(String id, String title, String question, String answer, String evidence, int charts) {

    /** Collects a section's evidence and counts its charts. */
    static final class Evidence {
        private final StringBuilder figures = new StringBuilder();
        private final StringBuilder html = new StringBuilder();
        private int charts;

        /** Adds a chart; the charts come first in the section, side by side, then everything else in order. */
        Evidence chart(String svg, String caption) {
            charts++;
            figures.append("<figure>").append(svg).append("<figcaption>").append(Html.escape(caption))
                    .append("</figcaption></figure>");
            return this;
        }

        Evidence html(String fragment) {
            html.append(fragment);
            return this;
        }

        Evidence note(String text) {
            html.append("<p class=\"note\">").append(Html.escape(text)).append("</p>");
            return this;
        }

        Evidence heading(String text) {
            html.append("<h3>").append(Html.escape(text)).append("</h3>");
            return this;
        }

        Evidence reproduce(String... commands) {
            html.append("<p class=\"reproduce\">Reproduce: ");
            for (int i = 0; i < commands.length; i++) {
                html.append(i == 0 ? "" : " &middot; ").append("<code>").append(Html.escape(commands[i])).append("</code>");
            }
            html.append("</p>");
            return this;
        }

        Section section(String id, String title, String question, String answer) {
            return new Section(id, title, question, answer, "<div class=\"charts\">" + figures + "</div>" + html, charts);
        }
    }
}
