import { frequentWords } from './frequent-words';

describe('frequentWords', () => {
  test('counts words once per text, without stop words, numbers or links; ё as е', () => {
    const words = frequentWords(
      [
        'Это просто Кракен, кракен и ещё раз кракен https://example.com/кракен',
        'Кракен опять пишет про ёлку 2025',
        'Ёлка! And the kraken is here',
        'елка',
      ],
      5,
    );
    expect(words).toEqual([
      { word: 'елка', count: 2 },
      { word: 'кракен', count: 2 },
      { word: 'kraken', count: 1 },
      { word: 'елку', count: 1 },
      { word: 'пишет', count: 1 },
    ]);
  });
});
