package dev.authgate.federation;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser's cookies, kept by hand (the providers' and Authgate's Secure cookies over loopback HTTP), following no
 * redirect by itself: the tests read each Location.
 */
public final class CookieJar {

    public static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern COOKIE = Pattern.compile("^([^=;]+)=([^;]*)");

    public final Map<String, String> cookies = new LinkedHashMap<>();

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (!cookies.isEmpty()) {
            request.header("Cookie", String.join("; ", cookies.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        HttpResponse<String> answer = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String set : answer.headers().allValues("set-cookie")) {
            Matcher m = COOKIE.matcher(set);
            if (m.find()) {
                if (m.group(2).isEmpty() || set.contains("Max-Age=0")) {
                    cookies.remove(m.group(1));
                } else {
                    cookies.put(m.group(1), m.group(2));
                }
            }
        }
        return answer;
    }

    public HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)));
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public static Map<String, String> query(String url) {
        return FakeUpstreams.form(URI.create(url).getRawQuery());
    }
}
