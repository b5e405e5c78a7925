package dev.authgate.mail;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import dev.authgate.support.SmtpResource;

/** What the SMTP server received, by recipient and subject; the link token and code read from a mail's text. */
final class Inbox {

    static final String LINK_BASE = "https://app.example.test";
    private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");
    private static final Pattern CODE = Pattern.compile("code: (\\d{6})");

    /** A received mail, read once. */
    record Letter(MimeMessage message, String text, String html) {

        String token() {
            return find(TOKEN, text);
        }

        String code() {
            return find(CODE, text);
        }

        String link() {
            Matcher m = Pattern.compile(Pattern.quote(LINK_BASE) + "/[^\\s?]+\\?token=[A-Za-z0-9_-]+").matcher(text);
            assertTrue(m.find(), "no link in: " + text);
            return m.group();
        }

        String subject() {
            try {
                return message.getSubject();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String find(Pattern p, String text) {
            Matcher m = p.matcher(text);
            assertTrue(m.find(), p + " not in: " + text);
            return m.group(1);
        }
    }

    private Inbox() {
    }

    /** The mails to this address with this subject, oldest first. */
    static List<Letter> all(String to, String subject) {
        return Arrays.stream(SmtpResource.server().getReceivedMessages())
                .filter(m -> addressedTo(m, to) && subject.equals(subjectOf(m))).map(Inbox::read).toList();
    }

    /** Waits (up to 60 s: mail leaves in the background, and CI machines can be slow) for the n-th such mail and answers it. */
    static Letter await(String to, String subject, int n) {
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            List<Letter> found = all(to, subject);
            if (found.size() >= n) {
                return found.get(n - 1);
            }
            sleep(50);
        }
        return fail("no mail #" + n + " '" + subject + "' to " + to);
    }

    static Letter await(String to, String subject) {
        return await(to, subject, 1);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean addressedTo(MimeMessage m, String to) {
        try {
            Address[] recipients = m.getRecipients(Message.RecipientType.TO);
            return recipients != null && Arrays.stream(recipients).anyMatch(a -> a.toString().equalsIgnoreCase(to));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subjectOf(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Letter read(MimeMessage m) {
        try {
            return new Letter(m, part(m, "text/plain"), part(m, "text/html"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(Part p, String type) throws Exception {
        if (p.isMimeType(type)) {
            return p.getContent().toString();
        }
        if (p.getContent() instanceof Multipart multi) {
            for (int i = 0; i < multi.getCount(); i++) {
                String found = part(multi.getBodyPart(i), type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
