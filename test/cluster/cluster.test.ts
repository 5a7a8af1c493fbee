/**
 * The cluster tests, in one file on purpose: jest gives each test file a worker, and the suites
 * kill and restart nodes of the one cluster, so they must run one after the other. In separate
 * files the second would hold the other worker while waiting for the first, and unit and
 * single-node files would wait behind them. Here they take one worker; the other keeps running
 * the rest of `npm test`. Each suite brings the whole ring back when it ends.
 */
import { useClusterFile } from './support/cluster';
import './suites/migrations-race.suite';
import './suites/migrations-node-down.suite';
import './suites/facade-rf3.suite';
import './suites/write-routing.suite';
import './suites/consistency-checker.suite';

useClusterFile();
