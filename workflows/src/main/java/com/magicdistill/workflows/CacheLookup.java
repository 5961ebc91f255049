package com.magicdistill.workflows;

/**
 * The stage cache's answer: the key (code version, resolved stage config, input hashes) and, on a
 * hit whose objects all still exist, the cached outputs (null on a miss).
 */
public record CacheLookup(String cacheKey, StageOutputs cached) {}
