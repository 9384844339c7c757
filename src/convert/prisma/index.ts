export { convertPrismaFiles, convertPrismaText, type PrismaSource } from './convert.js';
