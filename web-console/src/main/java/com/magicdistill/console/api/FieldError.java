package com.magicdistill.console.api;

/**
 * One bad field of a request: its dotted path ({@code distill.alphaWeak}, {@code limit}), the value
 * it had (null when missing or unreadable) and what to do.
 */
public record FieldError(String field, Object value, String message) {}
