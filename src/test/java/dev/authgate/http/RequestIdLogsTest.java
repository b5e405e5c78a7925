package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.authgate.support.LogProbe;

/** A line logged while serving a request carries its id in the MDC, also on a worker thread. */
@QuarkusTest
class RequestIdLogsTest {

    @Test
    void aLogLineOnAWorkerThreadCarriesTheRequestId() {
        List<String> ids = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (LogProbe.MESSAGE.equals(record.getMessage()) && record instanceof ExtLogRecord ext) {
                    ids.add(ext.getMdc(RequestIds.MDC_KEY));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(LogProbe.class.getName());
        logger.addHandler(capture);
        try {
            String thread = given().header(RequestIds.HEADER, "trace-me-1").get("/test-only/log").then().statusCode(200)
                    .extract().asString();
            assertTrue(thread.startsWith("executor-thread"), "served on a worker thread: " + thread);
            String generated = given().get("/test-only/log").then().statusCode(200).extract().header(RequestIds.HEADER);
            assertEquals(List.of("trace-me-1", generated), ids);
        } finally {
            logger.removeHandler(capture);
        }
    }
}
