package dev.authgate.nativeimage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Test-only: every type of ours that Jackson reads or writes while the {@code @QuarkusTest}s run is appended to
 * {@link #FILE}. A native image reads and writes them by reflection, so {@code JacksonTypesIT} then checks that each
 * one is registered. (The file, not memory: each test application has its own class loader.)
 */
@Singleton
public class JacksonTypes implements ObjectMapperCustomizer {

    static final Path FILE = Path.of("target", "jackson-types.txt");
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("authgate-jackson-types");
        module.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription bean,
                    JsonSerializer<?> serializer) {
                record(bean.getBeanClass());
                return serializer;
            }
        });
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription bean,
                    JsonDeserializer<?> deserializer) {
                record(bean.getBeanClass());
                return deserializer;
            }
        });
        mapper.registerModule(module);
    }

    private static void record(Class<?> type) {
        if (type.getName().startsWith("dev.authgate.") && SEEN.add(type.getName())) {
            try {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, type.getName() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
